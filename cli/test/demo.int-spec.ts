import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kontor, newKontorHome } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

// The README's first-run walkthrough: `npx kontor demo` in a checkout where `npm start` runs the
// platform (and wrote .data/platform.json), then a few commands with the profile it saved.
describe('kontor demo', () => {
  let platform: CliPlatform;
  const kontorHome = newKontorHome();

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger', 'import', 'deals', 'reporting']);
  }, 120_000);
  afterAll(() => platform?.stop());

  /** What `npm start` leaves in a checkout; returns a folder inside it to run the demo from. */
  function checkoutWithPlatform(): string {
    const checkout = mkdtempSync(join(tmpdir(), 'kontor-checkout-'));
    mkdirSync(join(checkout, '.data'));
    mkdirSync(join(checkout, 'cli'));
    writeFileSync(
      join(checkout, '.data', 'platform.json'),
      JSON.stringify({
        addresses: platform.addresses,
        adminToken: platform.adminToken,
        kafkaBrokers: platform.kafkaBrokers,
      }),
    );
    return join(checkout, 'cli');
  }

  it('sets up a marketplace, posts its events through Kafka and prints the books', async () => {
    // No connection flag, no KONTOR_* variable: the checkout's platform.json connects it.
    const demo = await kontor(['demo'], { env: kontorHome.env, cwd: checkoutWithPlatform() });

    expect({ code: demo.code, stderr: demo.stderr }).toEqual({
      code: 0,
      stderr: expect.any(String),
    });
    expect(demo.stdout).toContain('Customer ledger — Ada Lovelace at Nordic Knits');
    // Invoice 119.00, payment of a 47.60 order, a 29.75 order paid and refunded: Ada owes 119.00.
    expect(demo.stdout).toContain('Ada owes 119.00 EUR.');
    expect(demo.stdout).toMatch(/INV-1001/);
    expect(demo.stdout).toMatch(/refund/);
    const totals = /total EUR: debit (\S+) = credit (\S+)/.exec(demo.stdout);
    expect(totals?.[1]).toBe(totals?.[2]);
    expect(demo.stdout).toContain("(3 shipping costs imported from Parcel Partners' statement)");
    expect(demo.stdout).toMatch(/Profit sharing — Parcel Partners revenue share/);
    // 5 % of the month's gross revenue (invoices 100.00 + 250.00, orders 40.00 + 25.00 net),
    // all of it to the supplier.
    expect(demo.stdout).toMatch(/basis\s+415\.00 EUR\n/);
    expect(demo.stdout).toMatch(/total\s+20\.75 EUR\n/);
    expect(demo.stdout).toMatch(/Parcel Partners\s+│ supplier\s+│\s+100\s+│\s+20\.75 EUR/);

    // The saved profile is current: the next commands need no flags.
    const saved = parse(readFileSync(kontorHome.configFile, 'utf8')) as {
      currentProfile: string;
      profiles: Record<
        string,
        { address: string; services: Record<string, string>; kafkaBrokers: string }
      >;
    };
    expect(demo.stderr).toContain(
      `saved the demo tenant as profile "demo" (now current) in ${kontorHome.configFile}`,
    );
    expect(saved.currentProfile).toBe('demo');
    expect(saved.profiles['demo']).toMatchObject({
      address: platform.addresses.ledger,
      services: {
        import: platform.addresses.import,
        deals: platform.addresses.deals,
        reporting: platform.addresses.reporting,
      },
      kafkaBrokers: platform.kafkaBrokers,
    });
    // From here on the commands run outside the checkout (in HOME): only the profile connects them.
    const ledgers = await kontor(['ledgers', 'list'], { env: kontorHome.env });
    expect(ledgers.code).toBe(0);
    const deals = await kontor(['deals', 'list'], { env: kontorHome.env });
    expect(deals.stdout).toContain('Parcel Partners revenue share');
    expect(ledgers.stdout).toContain('Nordic Knits');
    expect(ledgers.stdout).toContain('Alpine Audio');
  });

  it('runs again on the same platform with a new tenant whose events all post', async () => {
    // The second tenant's invoices carry the same numbers (INV-1001, …) as the first one's.
    const again = await kontor(['demo'], { env: kontorHome.env, cwd: checkoutWithPlatform() });

    expect({ code: again.code, stderr: again.code === 0 ? '' : again.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(again.stdout).toContain('Ada owes 119.00 EUR.');
    expect(again.stdout).toMatch(/total\s+20\.75 EUR\n/);
  });
});
