// The part of citation-js's plugin registry the BibTeX export calls (the package ships no types).
declare module '@citation-js/core' {
  export const plugins: {
    output: { format(name: string, data: Record<string, unknown>[], options?: Record<string, unknown>): string };
  };
}
