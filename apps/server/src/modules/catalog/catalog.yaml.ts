// Catalogue as code: the catalogue document in YAML, read with the line and column of every
// value so each problem can be reported where it is in the file.
import { CatalogDocument, type CategoryDocument, type ServiceDocument } from '@portico/shared';
import { isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';

export interface YamlError {
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface ParsedCatalog {
  /** The validated document, or null when the file has errors. */
  catalog: CatalogDocument | null;
  errors: YamlError[];
  /** Where the value at `path` (or its nearest parent present) starts in the file. */
  locate(path: (string | number)[]): { line: number; column: number };
}

function locator(doc: Document, lines: LineCounter) {
  return (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
}

export function parseCatalogYaml(text: string): ParsedCatalog {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locate = locator(doc, lines);
  const syntax = doc.errors.map((err) => {
    const { line, col } = lines.linePos(err.pos[0]);
    return { path: '', line, column: col, message: err.message.split('\n')[0]! };
  });
  if (syntax.length) return { catalog: null, errors: syntax, locate };
  const parsed = CatalogDocument.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { catalog: parsed.data, errors: [], locate };
  return {
    catalog: null,
    locate,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path as (string | number)[];
      // An unknown key is reported where the key is, not where its parent starts.
      const at = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path;
      return { path: at.join('.'), ...locate(at), message: issue.message };
    }),
  };
}

const yamlOptions = { lineWidth: 100, blockQuote: 'literal' } as const;

export function catalogToYaml(categories: CategoryDocument[], services: ServiceDocument[]): string {
  return stringify({ categories, services }, yamlOptions);
}

/** One entry as YAML, for the diffs of a dry run. */
export const entryToYaml = (entry: CategoryDocument | ServiceDocument | null): string =>
  entry ? stringify(entry, yamlOptions) : '';
