export { Currency } from './currency';
export { Money, MAX_INTEGER_DIGITS, type MoneyJson } from './money';
export { MoneyError, MoneyErrorCode } from './money.errors';
export { RoundingMode } from './rounding';
export { type Ratio } from './allocate';
