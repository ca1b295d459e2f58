// @citation-js ships no type declarations; these cover the little Surveyor calls.
declare module '@citation-js/core' {
  export class Cite {
    static async(data: string): Promise<Cite>;
    data: Record<string, unknown>[];
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
declare module '@citation-js/plugin-csl';
