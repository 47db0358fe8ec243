package site

// WithoutSearch is o building no search index, for the benchmark that
// measures what the index adds to a build.
func WithoutSearch(o Options) Options {
	o.noSearch = true
	return o
}
