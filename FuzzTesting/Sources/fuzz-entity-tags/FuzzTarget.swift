import FuzzDriver

@_cdecl("fuzz_entity_tags_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "entity-tags", argc, argv)
}
