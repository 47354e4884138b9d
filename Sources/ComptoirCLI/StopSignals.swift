import Logging
import ServiceLifecycle
import UnixSignals

/// How the server stops on SIGTERM or SIGINT. The first signal stops it gracefully: no new
/// connection, and the requests running have `--delai-arret` to finish. A second signal, or the
/// end of that delay, stops the imports still running: they answer 503 and commit nothing, and
/// have a few seconds to send it before whatever still runs is cancelled.
/// ServiceLifecycle alone ignores a second graceful signal, and cancels the requests with their
/// connections, so that their clients get no answer.
enum StopSignals {
    /// How long the imports stopped by force have to send their refusal.
    static let refusalDelay: Duration = .seconds(3)

    private enum Event {
        case ended
        case signal(UnixSignal)
        case delayElapsed
        case refusalDelayElapsed
    }

    static func run(
        _ group: ServiceGroup, delay: Int, stopImports: @escaping @Sendable () -> Void, logger: Logger
    ) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let (events, post) = AsyncStream.makeStream(of: Event.self)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { post.yield(.ended) }
                try await group.run()
            }
            tasks.addTask {
                for await signal in signals { post.yield(.signal(signal)) }
            }
            func after(_ duration: Duration, _ event: Event) {
                tasks.addTask {
                    try? await Task.sleep(for: duration)
                    if !Task.isCancelled { post.yield(event) }
                }
            }
            var signalled = false
            var forced = false
            // Stops the imports running, then gives their refusals time to go out.
            func force(_ warning: String) {
                forced = true
                logger.warning("\(warning) : les requêtes en cours sont annulées sans rien écrire")
                stopImports()
                after(refusalDelay, .refusalDelayElapsed)
            }
            events: for await event in events {
                switch event {
                case .ended: break events
                case .signal(let signal) where !signalled:
                    signalled = true
                    logger.info(
                        "Arrêt demandé (\(signal)) : les requêtes en cours ont \(delay) s pour finir ; un second signal les annule"
                    )
                    await group.triggerGracefulShutdown()
                    after(.seconds(delay), .delayElapsed)
                case .signal(let signal) where !forced: force("Second signal \(signal)")
                case .delayElapsed where !forced: force("Délai d'arrêt écoulé")
                case .refusalDelayElapsed:
                    // The group, cancelled, cancels the requests it still runs.
                    tasks.cancelAll()
                default: break
                }
            }
            tasks.cancelAll()
            // A cancellation is the stop asked for; any other failure of the group is told.
            do {
                while try await tasks.next() != nil {}
            } catch is CancellationError {}
        }
    }
}
