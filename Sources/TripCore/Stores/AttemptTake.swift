/// The answer to taking one attempt from a key's window.
public enum AttemptTake: Hashable, Sendable {
    /// Taken: the window it went into, with it counted.
    case granted(AttemptWindow)
    /// The window was full; nothing was taken.
    case refused(AttemptWindow)

    public var window: AttemptWindow {
        switch self {
        case .granted(let window), .refused(let window): window
        }
    }
}
