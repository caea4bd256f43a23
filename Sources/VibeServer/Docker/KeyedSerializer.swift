/// Runs the operations of one key one after another (the docker driver's start, suspend and remove of
/// one session), while operations of different keys run at once.
actor KeyedSerializer {
    private var tails: [String: Task<Void, Never>] = [:]

    /// Runs `body` after every earlier operation of `key` has finished.
    func run<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tails[key]
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body()
        }
        tails[key] = Task { _ = try? await task.value }
        return try await task.value
    }
}
