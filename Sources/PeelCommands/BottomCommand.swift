/// `bottom N by COLUMN [per GROUP, ...]`: the N smallest rows by a column. Its own spec; the
/// step that runs it is `TopCommand`, ordering the other way.
package enum BottomCommand {
    package static let spec = TopCommand.makeSpec(
        name: "bottom", bottom: true,
        summary: "Keep the N smallest rows by a column (ties kept and stated).",
        details: """
            `bottom N by COLUMN` orders by COLUMN, smallest first, and keeps N rows. Rows tied with
            the Nth are kept too, and a note says so. Rows with a missing value in COLUMN never
            count among the smallest. With `per GROUP`, it keeps N rows within each group.
            """,
        examples: ["cdi_forces | bottom 3 by recording_rate_pct | select force, recording_rate_pct"])
}
