import FuzzChecks

/// Runs libFuzzer's driver over the check of one target. SwiftPM links each executable with its `main` renamed to
/// `<module>_main`, which a file parsed as a library does not define, so every target defines that symbol and lands
/// here instead of in libFuzzer's own `main`.
public func runFuzzer(
    target: String, _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    guard let check = FuzzTargets.all[target] else { fatalError("no fuzz target \(target)") }
    currentCheck = check
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { start, count in
        currentCheck(UnsafeRawBufferPointer(start: start, count: count))
        return 0
    }
}

/// The check of the target this process runs; set once, before the driver starts.
nonisolated(unsafe) private var currentCheck: @Sendable (UnsafeRawBufferPointer) -> Void = { _ in }

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
