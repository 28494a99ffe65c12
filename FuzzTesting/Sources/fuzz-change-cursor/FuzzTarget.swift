import FuzzDriver

@_cdecl("fuzz_change_cursor_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "change-cursor", argc, argv)
}
