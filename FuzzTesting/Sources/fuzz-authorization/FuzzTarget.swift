import FuzzDriver

@_cdecl("fuzz_authorization_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "authorization", argc, argv)
}
