/// Interned storage for graphemes that need more than one scalar (base + combining marks).
/// Bounded: at most `maxEntries` distinct graphemes and `maxScalars` scalars each.
struct GraphemeTable: Sendable {
    static let maxEntries = 1 << 16
    static let maxScalars = 12
    private(set) var entries: [[UInt32]] = []
    private var lookup: [[UInt32]: UInt32] = [:]
    /// Direct-mapped cache of two-scalar graphemes (key base << 32 | mark, 0 = empty slot;
    /// a base is never 0) and their ids,
    /// so the common "letter + one combining mark" skips building and hashing an array.
    private var pairKeys = [UInt64](repeating: 0, count: GraphemeTable.pairCacheSize)
    private var pairIDs = [UInt32](repeating: 0, count: GraphemeTable.pairCacheSize)
    private static let pairCacheSize = 512

    /// `intern([base, mark])` for a plain (non-cluster, non-zero) `base`.
    mutating func intern(base: UInt32, mark: UInt32) -> UInt32? {
        let key = UInt64(base) << 32 | UInt64(mark)
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 55) & (Self.pairCacheSize - 1)
        if pairKeys[slot] == key { return pairIDs[slot] }
        guard let id = intern([base, mark]) else { return nil }
        pairKeys[slot] = key
        pairIDs[slot] = id
        return id
    }

    /// Returns the side-table id for `scalars`, or nil when the table is full.
    mutating func intern(_ scalars: [UInt32]) -> UInt32? {
        if let id = lookup[scalars] { return id }
        guard entries.count < Self.maxEntries else { return nil }
        let id = UInt32(entries.count)
        entries.append(scalars)
        lookup[scalars] = id
        return id
    }

    /// The scalars of a cell's content (plain scalar or side-table entry).
    func scalars(of content: UInt32) -> [UInt32] {
        if content & Cell.clusterBit != 0 {
            let id = Int(content & ~Cell.clusterBit)
            return id < entries.count ? entries[id] : []
        }
        return content == 0 ? [] : [content]
    }
}

/// Rare per-cell attributes (underline colour, hyperlink) shared by index.
struct CellExtras: Hashable, Sendable {
    var underlineColor: UInt32 = 0
    var hyperlink: UInt32 = 0
}

/// Interned table of `CellExtras`; index 0 is "none". Bounded to 65,535 entries.
struct ExtrasTable: Sendable {
    private(set) var entries: [CellExtras] = [CellExtras()]
    private var lookup: [CellExtras: UInt16] = [CellExtras(): 0]
    /// Hyperlink targets by id (id 0 = none).
    private(set) var links: [String] = [""]
    private var linkLookup: [String: UInt32] = [:]
    static let maxLinks = 4096

    mutating func intern(_ extras: CellExtras) -> UInt16 {
        if let id = lookup[extras] { return id }
        guard entries.count < Int(UInt16.max) else { return 0 }
        let id = UInt16(entries.count)
        entries.append(extras)
        lookup[extras] = id
        return id
    }

    func extras(_ id: UInt16) -> CellExtras {
        Int(id) < entries.count ? entries[Int(id)] : CellExtras()
    }

    /// Id of the hyperlink `key` (the URI, qualified by the OSC 8 `id=` when present).
    mutating func linkID(_ key: String) -> UInt32 {
        if let id = linkLookup[key] { return id }
        guard links.count < Self.maxLinks else { return 0 }
        let id = UInt32(links.count)
        links.append(key)
        linkLookup[key] = id
        return id
    }
}
