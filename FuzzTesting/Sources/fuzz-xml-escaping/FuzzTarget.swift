import FuzzDriver

@_cdecl("fuzz_xml_escaping_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "xml-escaping", argc, argv)
}
