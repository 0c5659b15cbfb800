// The one prop error of every nativelink-aws construct is defined by @nativelink-aws/conventions.
export { NativeLinkPropError } from "@nativelink-aws/conventions";
