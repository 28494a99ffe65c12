import FuzzDriver

@_cdecl("fuzz_share_token_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "share-token", argc, argv)
}
