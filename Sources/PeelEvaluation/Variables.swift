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

/// The session's variables as a running step sees them: it may look them up, never set them
/// (commands set a variable through `SessionControl.setVariable`).
public struct VariableView {
    private let store: Variables

    public init(_ store: Variables) { self.store = store }

    public func value(_ name: String) -> VariableValue? { store.value(name) }
    public var names: [String] { store.names }
}

