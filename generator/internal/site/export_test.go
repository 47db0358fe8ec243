package site

// WithoutSearch is o building no search index, for the benchmark that
// measures what the index adds to a build.
func WithoutSearch(o Options) Options {
	o.noSearch = true
	return o
}

// CopiesMade is how many pictures have had their copies made so far.
func CopiesMade() int64 { return copiesMade.Load() }

// CardsDrawn is how many cards for sharing have been drawn so far.
func CardsDrawn() int64 { return cardsDrawn.Load() }

// TranscriptsMade is how many episodes' transcript files have been made so far.
func TranscriptsMade() int64 { return transcriptsMade.Load() }

// PartsMade is how many parts of pages builds keeping them have rendered
// so far (the "cached" template function's and items' cards and links,
// not taken from the last build).
func PartsMade() int64 { return partsMade.Load() }

// PartsTaken is how many parts of pages builds took from the last build.
func PartsTaken() int64 { return partsTaken.Load() }

// OwnFilesRead is how many of the site's own files (static files, files
// beside pages, pictures) builds have read whole so far.
func OwnFilesRead() int64 { return ownFilesRead.Load() }
