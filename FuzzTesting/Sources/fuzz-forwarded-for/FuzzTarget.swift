import FuzzDriver

@_cdecl("fuzz_forwarded_for_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "forwarded-for", argc, argv)
}
