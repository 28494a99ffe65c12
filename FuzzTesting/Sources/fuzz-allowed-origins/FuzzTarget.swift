import FuzzDriver

@_cdecl("fuzz_allowed_origins_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "allowed-origins", argc, argv)
}
