#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors.
enum DescriptorLimit {
    /// Raises the soft limit to the hard one (macOS caps it at `OPEN_MAX`) and returns the soft limit now in force.
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        var raised = limit
        #if canImport(Darwin)
        raised.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
        #else
        raised.rlim_cur = limit.rlim_max
        #endif
        if raised.rlim_cur > limit.rlim_cur, setrlimit(resource, &raised) == 0 {
            limit = raised
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Connections allowed under `descriptors`, leaving a quarter (at least 64) for database connections, files and
    /// the runtime's own, such as libdispatch reading `/proc`.
    static func connections(under descriptors: Int) -> Int {
        max(descriptors - max(descriptors / 4, 64), 16)
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
