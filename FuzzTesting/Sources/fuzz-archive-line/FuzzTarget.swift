import FuzzDriver

@_cdecl("fuzz_archive_line_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "archive-line", argc, argv)
}
