import FuzzDriver

@_cdecl("fuzz_accept_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "accept", argc, argv)
}
