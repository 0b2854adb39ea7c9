package audit

// DecodeLine exposes decodeLine to the benchmarks.
var DecodeLine = decodeLine
