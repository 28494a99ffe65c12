import FuzzDriver

@_cdecl("fuzz_last_event_id_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(target: "last-event-id", argc, argv)
}
