// Café menu, saved as Latin-1 by an old editor.
export const name = "café";
