import Testing

@testable import ComptoirHTTP

/// Refused connections in the journal: the first of every interval, and how many went unlogged.
@Suite struct ConnectionGateLogTests {
    @Test func refusalsAreLoggedOncePerIntervalWithTheCountOfTheOthers() {
        let gate = ConnectionGate(maximum: 1, maximumPerAddress: nil)
        let start = ContinuousClock.now
        #expect(gate.refusalToLog(at: start) == 0)
        for second in 1..<10 { #expect(gate.refusalToLog(at: start + .seconds(second)) == nil) }
        #expect(gate.refusalToLog(at: start + ConnectionGate.refusalLogInterval) == 9)
        #expect(gate.refusalToLog(at: start + ConnectionGate.refusalLogInterval * 3) == 0)
    }
}
