import FuzzDriver

@_cdecl("fuzz_json_patch_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "json-patch", argc, argv)
}
