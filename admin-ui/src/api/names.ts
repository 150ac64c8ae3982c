// The control plane's name rules (protocol's NameRules), checked here to answer while typing;
// the API checks them again.
export const PRODUCT_RULE = "1 to 64 characters: a-z, 0-9, '.', '_', '-', starting with a letter or digit";
export const VERSION_RULE = "1 to 64 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit";
export const FILE_RULE = "1 to 128 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit";

export const isProductName = (s: string) => /^[a-z0-9][a-z0-9._-]{0,63}$/.test(s);
export const isVersion = (s: string) => /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(s);
export const isFileName = (s: string) => /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/.test(s);
