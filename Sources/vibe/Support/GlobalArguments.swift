import ArgumentParser

extension VibeCommand {
    /// Entry point: lets the global options (`--server`, `--token`, `--json`) come before the
    /// subcommand, as in `vibe --server URL status ID`, by moving them after the subcommand path.
    static func main() async {
        await main(GlobalArguments.hoist(Array(CommandLine.arguments.dropFirst())))
    }
}

/// Rewrites argument lists so global options may precede the subcommand.
enum GlobalArguments {
    /// Options that take a value, and flags.
    static let valued: Set<String> = ["--server", "--token", "--driver"]
    static let flags: Set<String> = ["--json"]
    /// Subcommand groups whose second word is part of the command path.
    static let groups: [String: Set<String>] = [
        "session": ["create", "list", "delete"], "bench": ["latency", "emulator", "tui", "reattach"],
    ]

    static func hoist(_ args: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < args.count {
            let arg = args[index]
            let name = arg.split(separator: "=", maxSplits: 1).first.map(String.init) ?? arg
            if flags.contains(arg) {
                globals.append(arg)
                index += 1
            } else if valued.contains(name) {
                globals.append(arg)
                if !arg.contains("="), index + 1 < args.count {
                    globals.append(args[index + 1])
                    index += 1
                }
                index += 1
            } else {
                break
            }
        }
        guard !globals.isEmpty, index < args.count, !args[index].hasPrefix("-") else { return args }
        var path = [args[index]]
        if let sub = groups[args[index]], index + 1 < args.count, sub.contains(args[index + 1]) {
            path.append(args[index + 1])
        }
        let rest = args[(index + path.count)...]
        return path + globals + rest
    }
}
