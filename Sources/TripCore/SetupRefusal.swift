/// A store that cannot be prepared without a person's decision, such as data a migration must not guess about.
public struct SetupRefusal: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
