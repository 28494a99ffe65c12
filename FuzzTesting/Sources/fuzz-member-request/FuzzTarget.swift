import FuzzDriver

@_cdecl("fuzz_member_request_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "member-request", argc, argv)
}
