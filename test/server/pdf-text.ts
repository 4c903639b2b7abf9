/**
 * The text of an uncompressed PDF from pdfkit's standard fonts, one line per `TJ` operator:
 * pdfkit writes each run as hex-encoded WinAnsi codes (`[<4a616e> 15 <...>] TJ`), so a plain
 * byte search would not find „Gate Pass". Good enough for the emulator's invoices, not a parser.
 */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x84: '„',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
};

export function pdfText(pdf: Uint8Array): string {
  const source = Buffer.from(pdf).toString('latin1');
  const lines: string[] = [];
  for (const operator of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    let line = '';
    for (const run of operator[1].matchAll(/<([0-9a-fA-F]*)>/g)) {
      const hex = run[1];
      for (let i = 0; i < hex.length; i += 2) {
        const code = parseInt(hex.slice(i, i + 2), 16);
        line += WIN_ANSI_HIGH[code] ?? String.fromCharCode(code);
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
