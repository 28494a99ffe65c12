import Foundation
import Hummingbird
import JSON

/// The OpenAPI 3.1 description of the HTTP API: the resource `openapi.json`, served as it is at
/// `/openapi.json` and checked against the router and `Limits` by tests.
public enum OpenAPIDocument {
    /// The document's bytes, read once from the module's resources. An array rather than `Data`, whose reference the
    /// leak checker cannot see under the enum tag that `Data` keeps in its spare bits.
    public static let json: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { fatalError("openapi.json is missing from the API module's resources") }
        return [UInt8](data)
    }()

    /// Each documented path template with its methods, read from the document itself.
    public static let operations: [String: [HTTPRequest.Method]] = {
        guard case .object(let document) = try? json.withUnsafeBytes({ try JSONValue(parsing: $0) }),
            case .object(let paths)? = document["paths"]
        else { fatalError("openapi.json has no paths") }
        return paths.mapValues { item in
            guard case .object(let fields) = item else { return [] }
            return fields.keys.sorted().compactMap { key in
                verbs.contains(key) ? HTTPRequest.Method(key.uppercased()) : nil
            }
        }
    }()

    private static let verbs: Set = ["get", "put", "post", "delete", "patch", "head", "options"]
}
