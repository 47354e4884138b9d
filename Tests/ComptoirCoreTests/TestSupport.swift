import Foundation
import Testing

@testable import ComptoirCore

// Shared helpers of the ComptoirCore tests.

extension Result {
    /// The success value, or nil.
    var successValue: Success? {
        if case .success(let value) = self { value } else { nil }
    }

    /// The failure, or nil.
    var failureValue: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}

/// The `parametres` of an import, with the contract's defaults for everything not given.
func importParameters(
    nomsChamps: String = "",
    entete: Bool = false,
    separator: Unicode.Scalar = ";",
    qualifier: Unicode.Scalar? = nil,
    lines: [String] = [],
    journal: Bool = false,
    statistiques: Bool = false,
    tester: Bool = false
) -> ImportParameters {
    ImportParameters(
        journal: journal,
        statistiques: statistiques,
        entete: entete,
        nomsChamps: nomsChamps,
        separator: separator,
        qualifier: qualifier,
        lines: lines,
        tester: tester,
        calculerCodeTiers: false,
        calculerNumeroCompte: false
    )
}

/// A line's values from `name: text` pairs, in order; an empty text is a present, empty column.
func lineValues(_ pairs: KeyValuePairs<String, String>) -> LineValues {
    LineValues(pairs.map { (name: $0.key, value: $0.value.isEmpty ? FieldValue.null : .text($0.value)) })
}

/// The contract's files (`/work/shared/spec`), which sit next to the package in the project's
/// workspace but not in a user's clone of the package alone.
enum SpecFiles {
    /// `<workspace>/shared/spec`, found from this file: `<workspace>/main/Tests/ComptoirCoreTests/`.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ComptoirCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // main
        .deletingLastPathComponent()  // workspace
        .appendingPathComponent("shared/spec")

    static func url(_ relativePath: String) -> URL {
        folder.appendingPathComponent(relativePath)
    }

    static func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relativePath)))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }
}

/// The contract's example request and answer, copied into the project's `docs/exemples`.
enum Examples {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ComptoirCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("docs/exemples")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}
