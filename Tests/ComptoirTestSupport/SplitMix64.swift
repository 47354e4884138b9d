/// SplitMix64: a small, fast, seeded generator, so that every run sees the same inputs and a
/// failure can be replayed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True once in `chance` draws.
    public mutating func oneIn(_ chance: Int) -> Bool { below(chance) == 0 }

    public mutating func pick<T>(_ elements: [T]) -> T { elements[below(elements.count)] }

    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
