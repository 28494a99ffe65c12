import FuzzDriver

@_cdecl("fuzz_merge_patch_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "merge-patch", argc, argv)
}
