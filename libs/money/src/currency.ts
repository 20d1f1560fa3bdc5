import { MoneyError, MoneyErrorCode, describeType, quote } from './money.errors';

/**
 * Active ISO 4217 currencies and their minor units (the number of fraction digits an amount may
 * have), following ISO 4217 List One as published in 2025.
 *
 * Deliberately left out:
 * - entries without minor units ("N.A." in the standard): precious metals (XAU, XAG, XPT, XPD),
 *   bond-market units (XBA–XBD), SDR and other accounting units (XDR, XSU, XUA, XAD) and the
 *   testing / no-currency codes (XTS, XXX) — a money amount needs a defined exponent;
 * - withdrawn codes (e.g. HRK, CUC, SLL, ZWL, ANG, VEF, MRO, STD). Add one back here only if an
 *   import of historical records really needs it.
 *
 * Minor units are the standard's, not a locale's display preference (e.g. ISK 0, IQD 3).
 */
const ISO_4217: ReadonlyArray<readonly [code: string, minorUnits: number, name: string]> = [
  ['AED', 2, 'United Arab Emirates dirham'],
  ['AFN', 2, 'Afghan afghani'],
  ['ALL', 2, 'Albanian lek'],
  ['AMD', 2, 'Armenian dram'],
  ['AOA', 2, 'Angolan kwanza'],
  ['ARS', 2, 'Argentine peso'],
  ['AUD', 2, 'Australian dollar'],
  ['AWG', 2, 'Aruban florin'],
  ['AZN', 2, 'Azerbaijani manat'],
  ['BAM', 2, 'Bosnia and Herzegovina convertible mark'],
  ['BBD', 2, 'Barbados dollar'],
  ['BDT', 2, 'Bangladeshi taka'],
  ['BGN', 2, 'Bulgarian lev'],
  ['BHD', 3, 'Bahraini dinar'],
  ['BIF', 0, 'Burundian franc'],
  ['BMD', 2, 'Bermudian dollar'],
  ['BND', 2, 'Brunei dollar'],
  ['BOB', 2, 'Bolivian boliviano'],
  ['BOV', 2, 'Bolivian Mvdol (funds code)'],
  ['BRL', 2, 'Brazilian real'],
  ['BSD', 2, 'Bahamian dollar'],
  ['BTN', 2, 'Bhutanese ngultrum'],
  ['BWP', 2, 'Botswana pula'],
  ['BYN', 2, 'Belarusian ruble'],
  ['BZD', 2, 'Belize dollar'],
  ['CAD', 2, 'Canadian dollar'],
  ['CDF', 2, 'Congolese franc'],
  ['CHE', 2, 'WIR euro (complementary currency)'],
  ['CHF', 2, 'Swiss franc'],
  ['CHW', 2, 'WIR franc (complementary currency)'],
  ['CLF', 4, 'Chilean unit of account (UF)'],
  ['CLP', 0, 'Chilean peso'],
  ['CNY', 2, 'Chinese yuan renminbi'],
  ['COP', 2, 'Colombian peso'],
  ['COU', 2, 'Colombian real value unit (UVR)'],
  ['CRC', 2, 'Costa Rican colón'],
  ['CUP', 2, 'Cuban peso'],
  ['CVE', 2, 'Cape Verdean escudo'],
  ['CZK', 2, 'Czech koruna'],
  ['DJF', 0, 'Djiboutian franc'],
  ['DKK', 2, 'Danish krone'],
  ['DOP', 2, 'Dominican peso'],
  ['DZD', 2, 'Algerian dinar'],
  ['EGP', 2, 'Egyptian pound'],
  ['ERN', 2, 'Eritrean nakfa'],
  ['ETB', 2, 'Ethiopian birr'],
  ['EUR', 2, 'Euro'],
  ['FJD', 2, 'Fiji dollar'],
  ['FKP', 2, 'Falkland Islands pound'],
  ['GBP', 2, 'Pound sterling'],
  ['GEL', 2, 'Georgian lari'],
  ['GHS', 2, 'Ghanaian cedi'],
  ['GIP', 2, 'Gibraltar pound'],
  ['GMD', 2, 'Gambian dalasi'],
  ['GNF', 0, 'Guinean franc'],
  ['GTQ', 2, 'Guatemalan quetzal'],
  ['GYD', 2, 'Guyanese dollar'],
  ['HKD', 2, 'Hong Kong dollar'],
  ['HNL', 2, 'Honduran lempira'],
  ['HTG', 2, 'Haitian gourde'],
  ['HUF', 2, 'Hungarian forint'],
  ['IDR', 2, 'Indonesian rupiah'],
  ['ILS', 2, 'Israeli new shekel'],
  ['INR', 2, 'Indian rupee'],
  ['IQD', 3, 'Iraqi dinar'],
  ['IRR', 2, 'Iranian rial'],
  ['ISK', 0, 'Icelandic króna'],
  ['JMD', 2, 'Jamaican dollar'],
  ['JOD', 3, 'Jordanian dinar'],
  ['JPY', 0, 'Japanese yen'],
  ['KES', 2, 'Kenyan shilling'],
  ['KGS', 2, 'Kyrgyzstani som'],
  ['KHR', 2, 'Cambodian riel'],
  ['KMF', 0, 'Comorian franc'],
  ['KPW', 2, 'North Korean won'],
  ['KRW', 0, 'South Korean won'],
  ['KWD', 3, 'Kuwaiti dinar'],
  ['KYD', 2, 'Cayman Islands dollar'],
  ['KZT', 2, 'Kazakhstani tenge'],
  ['LAK', 2, 'Lao kip'],
  ['LBP', 2, 'Lebanese pound'],
  ['LKR', 2, 'Sri Lankan rupee'],
  ['LRD', 2, 'Liberian dollar'],
  ['LSL', 2, 'Lesotho loti'],
  ['LYD', 3, 'Libyan dinar'],
  ['MAD', 2, 'Moroccan dirham'],
  ['MDL', 2, 'Moldovan leu'],
  ['MGA', 2, 'Malagasy ariary'],
  ['MKD', 2, 'Macedonian denar'],
  ['MMK', 2, 'Myanmar kyat'],
  ['MNT', 2, 'Mongolian tögrög'],
  ['MOP', 2, 'Macanese pataca'],
  ['MRU', 2, 'Mauritanian ouguiya'],
  ['MUR', 2, 'Mauritian rupee'],
  ['MVR', 2, 'Maldivian rufiyaa'],
  ['MWK', 2, 'Malawian kwacha'],
  ['MXN', 2, 'Mexican peso'],
  ['MXV', 2, 'Mexican investment unit (UDI)'],
  ['MYR', 2, 'Malaysian ringgit'],
  ['MZN', 2, 'Mozambican metical'],
  ['NAD', 2, 'Namibian dollar'],
  ['NGN', 2, 'Nigerian naira'],
  ['NIO', 2, 'Nicaraguan córdoba'],
  ['NOK', 2, 'Norwegian krone'],
  ['NPR', 2, 'Nepalese rupee'],
  ['NZD', 2, 'New Zealand dollar'],
  ['OMR', 3, 'Omani rial'],
  ['PAB', 2, 'Panamanian balboa'],
  ['PEN', 2, 'Peruvian sol'],
  ['PGK', 2, 'Papua New Guinean kina'],
  ['PHP', 2, 'Philippine peso'],
  ['PKR', 2, 'Pakistani rupee'],
  ['PLN', 2, 'Polish złoty'],
  ['PYG', 0, 'Paraguayan guaraní'],
  ['QAR', 2, 'Qatari riyal'],
  ['RON', 2, 'Romanian leu'],
  ['RSD', 2, 'Serbian dinar'],
  ['RUB', 2, 'Russian ruble'],
  ['RWF', 0, 'Rwandan franc'],
  ['SAR', 2, 'Saudi riyal'],
  ['SBD', 2, 'Solomon Islands dollar'],
  ['SCR', 2, 'Seychellois rupee'],
  ['SDG', 2, 'Sudanese pound'],
  ['SEK', 2, 'Swedish krona'],
  ['SGD', 2, 'Singapore dollar'],
  ['SHP', 2, 'Saint Helena pound'],
  ['SLE', 2, 'Sierra Leonean leone'],
  ['SOS', 2, 'Somali shilling'],
  ['SRD', 2, 'Surinamese dollar'],
  ['SSP', 2, 'South Sudanese pound'],
  ['STN', 2, 'São Tomé and Príncipe dobra'],
  ['SVC', 2, 'Salvadoran colón'],
  ['SYP', 2, 'Syrian pound'],
  ['SZL', 2, 'Eswatini lilangeni'],
  ['THB', 2, 'Thai baht'],
  ['TJS', 2, 'Tajikistani somoni'],
  ['TMT', 2, 'Turkmenistan manat'],
  ['TND', 3, 'Tunisian dinar'],
  ['TOP', 2, 'Tongan paʻanga'],
  ['TRY', 2, 'Turkish lira'],
  ['TTD', 2, 'Trinidad and Tobago dollar'],
  ['TWD', 2, 'New Taiwan dollar'],
  ['TZS', 2, 'Tanzanian shilling'],
  ['UAH', 2, 'Ukrainian hryvnia'],
  ['UGX', 0, 'Ugandan shilling'],
  ['USD', 2, 'United States dollar'],
  ['USN', 2, 'United States dollar, next day (funds code)'],
  ['UYI', 0, 'Uruguayan peso in indexed units (funds code)'],
  ['UYU', 2, 'Uruguayan peso'],
  ['UYW', 4, 'Uruguayan nominal wage index unit'],
  ['UZS', 2, 'Uzbekistani sum'],
  ['VED', 2, 'Venezuelan digital bolívar'],
  ['VES', 2, 'Venezuelan sovereign bolívar'],
  ['VND', 0, 'Vietnamese đồng'],
  ['VUV', 0, 'Vanuatu vatu'],
  ['WST', 2, 'Samoan tālā'],
  ['XAF', 0, 'Central African CFA franc'],
  ['XCD', 2, 'East Caribbean dollar'],
  ['XCG', 2, 'Caribbean guilder'],
  ['XOF', 0, 'West African CFA franc'],
  ['XPF', 0, 'CFP franc'],
  ['YER', 2, 'Yemeni rial'],
  ['ZAR', 2, 'South African rand'],
  ['ZMW', 2, 'Zambian kwacha'],
  ['ZWG', 2, 'Zimbabwe gold'],
];

const CODE_PATTERN = /^[A-Za-z]{3}$/;

/** An ISO 4217 currency. Instances are interned: `Currency.of('eur') === Currency.of('EUR')`. */
export class Currency {
  private static readonly byCode: ReadonlyMap<string, Currency> = new Map(
    ISO_4217.map(([code, minorUnits, name]) => [code, new Currency(code, minorUnits, name)]),
  );

  private constructor(
    /** Upper-case alphabetic ISO 4217 code, e.g. `EUR`. */
    readonly code: string,
    /** Fraction digits an amount may have (the ISO 4217 exponent): EUR 2, JPY 0, BHD 3, CLF 4. */
    readonly minorUnits: number,
    /** English name, for humans only (never for lookups). */
    readonly name: string,
  ) {
    Object.freeze(this);
  }

  /**
   * The currency for an ISO 4217 alphabetic code, case-insensitive (`'eur'` → EUR).
   * Passing a `Currency` returns it unchanged. No trimming: `' EUR'` is unknown.
   * @throws MoneyError UNKNOWN_CURRENCY naming the value
   */
  static of(code: string | Currency): Currency {
    if (code instanceof Currency) return code;
    if (typeof code !== 'string') {
      throw new MoneyError(
        MoneyErrorCode.UNKNOWN_CURRENCY,
        `currency must be an ISO 4217 code string, got ${describeType(code)}`,
        'currency',
      );
    }
    const found = CODE_PATTERN.test(code) ? Currency.byCode.get(code.toUpperCase()) : undefined;
    if (found === undefined) {
      throw new MoneyError(
        MoneyErrorCode.UNKNOWN_CURRENCY,
        `unknown currency ${quote(code)}: not an active ISO 4217 code with minor units`,
        'currency',
      );
    }
    return found;
  }

  /** Whether `code` names a supported currency (same rules as `of`, without throwing). */
  static isKnown(code: string): boolean {
    return (
      typeof code === 'string' && CODE_PATTERN.test(code) && Currency.byCode.has(code.toUpperCase())
    );
  }

  /** Every supported currency, ordered by code. */
  static all(): Currency[] {
    return [...Currency.byCode.values()];
  }

  equals(other: Currency): boolean {
    return this === other;
  }

  toString(): string {
    return this.code;
  }

  toJSON(): string {
    return this.code;
  }
}
