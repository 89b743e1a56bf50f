/** leanml's version, written into saved models and reports. */
export const VERSION = '0.1.0';
