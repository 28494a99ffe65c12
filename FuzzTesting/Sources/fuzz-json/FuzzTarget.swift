import FuzzDriver

@_cdecl("fuzz_json_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "json", argc, argv)
}
