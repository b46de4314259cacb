// Money as people read it, the same on the server (messages, verdicts) and in the browser.
// Amounts stay decimal strings: Intl formats them exactly, with no float round trip.

const LOCALE = 'en-IE';
const formats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, maxDigits: number): Intl.NumberFormat {
  const key = `${currency}:${maxDigits}`;
  let nf = formats.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: maxDigits,
    });
    formats.set(key, nf);
  }
  return nf;
}

/** "12.500000000" EUR → "€12.50"; keeps up to 4 decimals when they matter ("0.0035" → "€0.0035"). */
export function formatMoney(amount: string, currency: string): string {
  const significant = (amount.split('.')[1] ?? '').replace(/0+$/, '').length;
  const digits = Math.min(Math.max(significant, 2), 4);
  try {
    return moneyFormat(currency, digits).format(amount as `${number}`);
  } catch {
    return `${amount} ${currency}`;
  }
}
