import Logging
import ServiceLifecycle
import UnixSignals

/// How the server stops on SIGTERM or SIGINT. The first signal stops it gracefully: no new
/// connection, and the requests running have `--delai-arret` to finish. A second one cancels
/// them at once, as an operator pressing Ctrl+C twice expects; cancelled, they commit nothing.
/// ServiceLifecycle alone ignores a second graceful signal until the delay ends.
enum StopSignals {
    private enum Ending { case ran, forced }

    static func run(_ group: ServiceGroup, delay: Int, logger: Logger) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Ending.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .ran
            }
            tasks.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    guard received == 1 else {
                        logger.warning("Second signal \(signal) : les requêtes en cours sont annulées sans rien écrire")
                        return .forced
                    }
                    logger.info(
                        "Arrêt demandé (\(signal)) : les requêtes en cours ont \(delay) s pour finir ; un second signal les annule"
                    )
                    await group.triggerGracefulShutdown()
                }
                return .ran
            }
            let first = try await tasks.next()
            tasks.cancelAll()
            guard first == .forced else { return }
            // The group, cancelled, cancels the requests it still runs; a cancellation is the stop asked for.
            do {
                _ = try await tasks.next()
            } catch is CancellationError {}
        }
    }
}
