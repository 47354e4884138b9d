import ComptoirCore
import ComptoirTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The contract's example (`docs/exemples/clients-importer.*.json`, copied from the contract's
/// `spec/examples`): the same request must get the same answer, byte for byte, but for the
/// timestamps and the société's path.
@Suite struct SeedExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/exemples").standardizedFileURL
    /// A journal's timestamp as the answer writes it, `/` escaped.
    static var timestamp: Regex<Substring> { #/\d\d\\/\d\d\\/\d{4} \d\d:\d\d:\d\d/# }

    static func example(_ name: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func answersTheContractsAnswerByteForByte() async throws {
        let server = try TestServer()
        let demoPath = server.demoPath
        try await server.run { client in
            let request = try Self.example("clients-importer.requete.json")
            let gestimumAnswer = try Self.example("clients-importer.retour.json")
                .replacing(Self.timestamp, with: "{T}")
                .replacing(#"C:\\ProgramData\\Gestimum\\DEMO.Gestimum"#, with: "{P}")
            let before = Date()
            try await client.execute(uri: clientsPath, method: .post, body: ByteBuffer(string: request)) {
                response in
                let after = Date()
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = String(buffer: response.body)
                let escapedPath = JSONValue.asciiEscaped(demoPath)
                let normalised = body.replacing(Self.timestamp, with: "{T}").replacing(escapedPath, with: "{P}")
                #expect(normalised == gestimumAnswer)
                // The day of the request, in the server's local time: the day it was sent or
                // the day it was answered, should midnight fall in between.
                let days = Set(
                    [before, after].map { date in
                        let day = Calendar.current.dateComponents([.day, .month, .year], from: date)
                        return String(format: #"%02d\/%02d\/%04d"#, day.day!, day.month!, day.year!)
                    })
                #expect(days.contains { body.contains("\"\($0) ") })
            }
        }
        let tiers = try #require(try server.rows("TIERS").first)
        #expect(tiers["PCF_CODE"] == "C42")
        #expect(tiers["PCF_TYPE"] == "C")
        #expect(tiers["CPT_NUMERO"] == "411C42")
        #expect(tiers["PCF_RS"] == "SPORT25")
        #expect(tiers["PCF_RUE"] == "5 rue Cugnot")
        #expect(tiers["PCF_COMP"] == "ZA Du Pâtis")
        #expect(tiers["PCF_CP"] == "78120")
        #expect(tiers["PCF_VILLE"] == "RAMBOUILLET")
        #expect(tiers["PCF_USRCRE"] == "DEMO")
        #expect(tiers["PCF_NUMMAJ"] == "1")
        let account = try #require(try server.rows("COMPTES", where: importedAccounts).first)
        #expect(account["CPT_NUMERO"] == "411C42")
        #expect(account["CPT_TYPE"] == "C")
        #expect(account["CPT_LIB"] == "SPORT25")
        #expect(account["CPT_COLLEC"] == "411000")
        #expect(account["PCF_CODE"] == "C42")
    }
}
