/** The NativeLink release whose configuration format this package models. */
export const NATIVELINK_VERSION = "1.6.6";
