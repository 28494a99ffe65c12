import FuzzDriver

@_cdecl("fuzz_gpx_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "gpx", argc, argv)
}
