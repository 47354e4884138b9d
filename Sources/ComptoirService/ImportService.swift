import ComptoirCore
import ComptoirStore
import Foundation
import Metrics

/// The import use case, whatever brings the request (the web service today, the command-line
/// tâches tomorrow): the request decoded, the société opened, the user authenticated, the
/// session held, the lines run through the domain's rules in one transaction, and the answer
/// with the journal and the statistics asked for. Refusals are `ImportRefusal`s; a disk or file
/// that fails is a `StorageFailure`.
public final class ImportService: Sendable {
    /// What an import answers.
    public enum Outcome: Sendable {
        /// A short answer, whole.
        case answer(JSONValue)
        /// An answer with a journal, written piece by piece.
        case streamed(StreamedJournalAnswer)
    }

    /// Tests only: called once an import's session is open, before it runs, with the user and
    /// whether the session has been ended since; a test holds a session open for as long as it
    /// decides by not returning.
    public typealias SessionOpened =
        @Sendable (_ user: String, _ isEnded: @escaping @Sendable () -> Bool) async ->
        Void

    let folder: SocieteFolder
    let sessions: Sessions
    let throttle = LoginThrottle()
    /// Where the journals of large imports wait for their answer.
    let spillFolder: String
    /// Once raised, every import running stops and is refused, as a cancelled one is.
    let stopping: StopFlag
    let sessionOpened: SessionOpened?

    /// Imports into the sociétés of `folder`; a request waits `lockWait` for its session. The
    /// journals wait in `spillFolder`, by default the system's temporary folder (`TMPDIR`).
    public init(
        folder: String, lockWait: Duration, spillFolder: String = NSTemporaryDirectory(),
        stopping: StopFlag = StopFlag(), sessionOpened: SessionOpened? = nil
    ) {
        self.folder = SocieteFolder(path: folder)
        self.sessions = Sessions(wait: lockWait)
        self.spillFolder = spillFolder
        self.stopping = stopping
        self.sessionOpened = sessionOpened
    }

    /// Closes the sociétés the service opened, once the process has no more work for them.
    public func closeSocietes() { folder.closeAll() }

    /// Runs the import of `domaine` that `body` asks for: the whole request in one transaction,
    /// rolled back with `tester=Oui`. Cancelling the calling task stops it, and nothing of it is
    /// kept.
    public func importer(_ domaine: Domaine, body: [UInt8]) async throws -> Outcome {
        let result = try await importer(try decode(body, domaine: domaine))
        guard let journal = result.journal else {
            return .answer(
                Answer.importDone(journal: nil, report: result.request.parametres.statistiques ? result.report : nil))
        }
        // Given once the transaction is settled: any refusal found before still replaces it.
        return .streamed(
            StreamedJournalAnswer(
                report: result.report, statistiques: result.request.parametres.statistiques, journal: journal))
    }

    /// Runs `request`, however it came (a web service's body, a tâche's `.ini`): the whole
    /// request in one transaction, rolled back with `tester=Oui`. Cancelling the calling task
    /// stops it, and nothing of it is kept.
    public func importer(_ request: ImportRequest) async throws -> ImportResult {
        let domaine = request.domaine
        let layout: FieldLayout
        let filePath: String
        do throws(RequestRefusal) {
            layout = try domaine.layout(for: request.parametres)
            filePath = try folder.filePath(for: request.societe.fichier)
        } catch {
            throw ImportRefusal(.badRequest, error.message)
        }

        let opened = try await openSession(
            request.societe, filePath: filePath, taskName: domaine.taskName, requiredGroup: domaine.requiredGroup)
        let (societe, session, user) = (opened.societe, opened.session, opened.user)
        var journal = opened.journal

        let parametres = request.parametres
        let context = RuleContext(
            stamp: AuditStamp(user: user, time: LocalTime.audit(Date())), parametres: parametres,
            passwords: Passwords.Hashing())
        // The import runs on the société's writer, not in this task: a stop (cancelling this
        // task) reaches it through this flag, and it rolls back.
        let cancelled = StopFlag()
        // The lines' entries wait in a spill, out of memory, for the answer.
        let spill = parametres.journal ? JournalSpill(folder: spillFolder) : nil
        let report: ImportReport
        do {
            report = try await withTaskCancellationHandler {
                // A run that imported nothing keeps nothing, not even the custom fields its
                // header named: a refused line leaves no trace.
                try await societe.write(keeping: { !parametres.tester && $0.importedCount > 0 }) { store in
                    try domaine.run(
                        context, layout: layout, store: store, readAhead: BackgroundReading(), sink: spill,
                        stop: { session.isEnded || cancelled.isSet || self.stopping.isSet })
                }
            } onCancel: {
                cancelled.set()
            }
            await sessions.close(session)
            Self.count(report, of: domaine, tester: parametres.tester)
        } catch {
            await sessions.close(session)
            if error is ImportStopped, let ending = session.ending {
                switch ending {
                case .reconnected:
                    throw ImportRefusal(.conflict, "Session fermée : l'utilisateur \(user) s'est reconnecté")
                case .lost(let failure): throw failure
                }
            }
            if error is ImportStopped, cancelled.isSet || stopping.isSet {
                throw ImportRefusal(.stopping, "Le serveur s'arrête : l'import est annulé, rien n'en est écrit")
            }
            throw error
        }
        let entriesTime = journal.addSummary(
            of: report, notices: layout.notices, successLine: domaine.writesSuccessLine)
        let head = journal.lines
        journal.addClosing(of: report, time: entriesTime)
        let closing = Array(journal.lines.dropFirst(head.count))
        journal.add("Tâche \(domaine.taskName) terminée")
        journal.add("Fermeture de la société \(opened.path)")
        return ImportResult(
            request: request, report: report,
            journal: spill.map { spill in
                ImportJournal(
                    head: head, entriesTime: entriesTime, spill: spill, closing: closing,
                    ending: Array(journal.lines.dropFirst(head.count + closing.count)))
            })
    }

    /// The metrics of the lines of imports that ended: those of kept imports as imported or
    /// rejected, those of `tester=Oui` apart, since nothing of them was imported.
    public static let importedMetric = "comptoir_lines_imported_total"
    public static let rejectedMetric = "comptoir_lines_rejected_total"
    public static let testedMetric = "comptoir_lines_tested_total"

    /// Counts an import's lines, once per request rather than per line.
    private static func count(_ report: ImportReport, of domaine: Domaine, tester: Bool) {
        let name = ("domaine", domaine.name)
        if tester {
            Counter(label: testedMetric, dimensions: [name, ("result", "accepted")]).increment(by: report.importedCount)
            Counter(label: testedMetric, dimensions: [name, ("result", "rejected")]).increment(by: report.rejectedCount)
        } else {
            Counter(label: importedMetric, dimensions: [name]).increment(by: report.importedCount)
            Counter(label: rejectedMetric, dimensions: [name]).increment(by: report.rejectedCount)
        }
    }

    /// A société opened for a task, with its user's session: what every tâche starts with.
    public struct OpenSociete: Sendable {
        public let societe: Societe
        /// The société's file as the data folder names it, which the journal says: a symbolic
        /// link's own path, not its target's, from its opening line to its closing one.
        public let path: String
        let session: Session
        /// The user's code as the société stores it, whatever its case in the request: the
        /// audit columns' `…_USRCRE` and `…_USRMAJ`.
        let user: String
        /// The journal so far, up to `Lancement de la tâche …`.
        public let journal: Journal
    }

    /// Opens the société `parametres` names for the task `taskName`: the société found, its user
    /// authenticated (and of `requiredGroup`, when one is), the session opened. The session must
    /// be closed with `close(_:)`.
    public func openSession(_ parametres: SocieteParameters, taskName: String, requiredGroup: String? = nil)
        async throws -> OpenSociete
    {
        let filePath: String
        do throws(RequestRefusal) {
            filePath = try folder.filePath(for: parametres.fichier)
        } catch {
            throw ImportRefusal(.badRequest, error.message)
        }
        return try await openSession(parametres, filePath: filePath, taskName: taskName, requiredGroup: requiredGroup)
    }

    private func openSession(
        _ parametres: SocieteParameters, filePath: String, taskName: String, requiredGroup: String?
    ) async throws -> OpenSociete {
        var journal = Journal(now: { LocalTime.journal(Date()) })
        journal.add("Ouverture de la société \(filePath)")
        let societe: Societe
        do {
            societe = try folder.societe(named: parametres.fichier)
        } catch let error as SocieteError {
            guard case .notFound = error else { throw error }
            throw ImportRefusal(.notFound, error.message)
        }
        // The user as the request names it in what is said to it; as stored in what is written
        // and in its session, which tells users apart as the société does.
        let user = parametres.utilisateur
        try await authenticate(user: user, password: parametres.motPasse, societe: societe)
        let stored = try await societe.user(named: user)
        let code = stored?.code ?? user
        if let group = requiredGroup, stored?.group?.uppercased() != group {
            throw ImportRefusal(
                .forbidden,
                "L'utilisateur \(user) n'appartient pas au groupe \(group) : il ne peut pas lancer la tâche \(taskName)"
            )
        }
        let session: Session
        do {
            session = try await sessions.open(
                societe: (filePath as NSString).lastPathComponent,
                registry: try societe.sessionRegistry(),
                user: user,
                code: code,
                exclusive: parametres.exclusif,
                disconnect: parametres.deconnecter
            )
        } catch {
            // A database that refuses or cannot be reached is unavailable, not busy.
            if let failure = error.storage { throw failure }
            throw ImportRefusal(.conflict, error.message)
        }
        await sessionOpened?(user) { session.isEnded }
        journal.add("Société \(filePath) ouverte")
        journal.add("Lancement de la tâche \(taskName)")
        return OpenSociete(
            societe: societe, path: filePath, session: session, user: code, journal: journal)
    }

    /// Closes the session of `opened`.
    public func close(_ opened: OpenSociete) async { await sessions.close(opened.session) }

    /// The request a body holds. The lines stay in the body (`StringList`), read one by one as
    /// the import reaches them.
    private func decode(_ body: [UInt8], domaine: Domaine) throws -> ImportRequest {
        do {
            return try ImportRequest.decode(body: JSONValue.parse(body, compactingStringArrays: true), domaine: domaine)
        } catch let error as JSONError {
            throw ImportRefusal(.badRequest, error.message)
        } catch let refusal as RequestRefusal {
            throw ImportRefusal(.badRequest, refusal.message)
        }
    }

    /// Checks the user's password, slowed down after repeated failures; unknown users and wrong
    /// passwords get the same answer in the same time.
    private func authenticate(user: String, password: String, societe: Societe) async throws {
        await throttle.delay(user: user, societe: societe.path)
        let success: Bool
        do {
            success = try await societe.authenticate(user: user, password: password)
        } catch {
            await throttle.record(success: nil, user: user, societe: societe.path)
            throw error
        }
        await throttle.record(success: success, user: user, societe: societe.path)
        guard success else { throw ImportRefusal(.unauthorized, "Utilisateur ou mot de passe incorrect") }
    }
}
