import PeelSupport
import PeelData
import PeelRender

/// One command line: a pipeline of steps, `source | verb | verb`.
public struct Statement {
    public var steps: [StepNode]
    public var range: SourceRange

    public init(steps: [StepNode], range: SourceRange) {
        self.steps = steps
        self.range = range
    }

    /// `tables | where rows > 3` → `tables | where (> col(rows) num(3))`.
    public var dump: String { steps.map(\.step.dump).joined(separator: " | ") }
}

/// A parsed step with the verb that produced it and where it was written.
public struct StepNode {
    public var verb: String
    public var range: SourceRange
    public var step: any Step

    public init(verb: String, range: SourceRange, step: any Step) {
        self.verb = verb
        self.range = range
        self.step = step
    }
}

/// What a step hands to the next: a table, or finished text (help, a chart).
public enum Output {
    /// A table, and the format it is to be written in when a step chose one (`| format markdown`).
    case table(Table, format: OutputFormat? = nil)
    case text(String)
    /// A command that changes the session and prints nothing (`set`, `param`).
    case nothing
}

/// A parsed verb, ready to run.
public protocol Step {
    /// Runs the step on the previous step's output (nil for the first step).
    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output
    /// An unambiguous rendering for parser tests.
    var dump: String { get }
    /// The script parameter this step declares (`param NAME = …`), which the command line may set.
    var declaredParameter: String? { get }
    /// True for a step that may follow text (`export` after a chart).
    var acceptsText: Bool { get }
}

extension Step {
    public var declaredParameter: String? { nil }
    public var acceptsText: Bool { false }
}

extension Statement {
    /// Runs the steps in order, each on the previous one's output; an error that does not know
    /// its place is put at its step.
    public func evaluate(_ ctx: EvalContext) throws -> Output? {
        var output: Output?
        for (i, node) in steps.enumerated() {
            if i > 0, case .text? = output, !node.step.acceptsText {
                throw EvalError.textCannotContinue(verb: steps[i - 1].verb, at: node.range)
            }
            do {
                try Interrupt.check()
                output = try node.step.run(output, ctx)
            } catch let e as EvalError {
                throw e.at(node.range)
            } catch let e as DiagnosticConvertible {
                // Other stages' errors keep their type when they know their place; the rest are
                // put at the step, as words.
                var d = e.diagnostic
                guard d.range == nil else { throw e }
                d.range = node.range
                throw d
            }
        }
        return output
    }
}
