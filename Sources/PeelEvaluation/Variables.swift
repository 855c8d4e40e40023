import PeelLanguage

/// The session's variables (`set`) and script parameters (`param`).
public final class Variables {
    public private(set) var values: [String: VariableValue] = [:]
    /// Values given on the command line for the script's parameters.
    public var given: [String: VariableValue] = [:]

    public init() {}

    public func set(_ name: String, _ v: VariableValue) { values[name] = v }
    public func value(_ name: String) -> VariableValue? { values[name] }
    public var names: [String] { values.keys.sorted() }
}

