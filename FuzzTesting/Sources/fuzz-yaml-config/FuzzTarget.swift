import FuzzDriver

@_cdecl("fuzz_yaml_config_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "yaml-config", argc, argv)
}
