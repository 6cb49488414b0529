//! What a check keeps of what it reads.

/// What a check keeps of what it reads, one policy per use. Besides its
/// links, reading a body can make its HTML (`html`: for `okra serve`, which
/// keeps parsed documents between builds) and the terms of its plain text
/// (`text`: for the search index, which only a build makes). With
/// `release`, each file's text is let go once the file is read, so that a
/// large site is never held in memory whole: the files the diagnostics
/// quote are read again at the end of the check, and each body a build
/// renders when its page is made (a file that changed in between is an
/// error). Release only a site in a folder that the build reads its bodies
/// from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Retention {
    pub html: bool,
    pub text: bool,
    pub release: bool,
}

impl Retention {
    /// Everything read is kept, nothing more is made: a check of files in
    /// memory (`okra diff`, `okra digest`, the editor).
    pub const KEEP: Retention = Retention {
        html: false,
        text: false,
        release: false,
    };
    /// `okra check` of a folder: texts let go, the quoted ones read again.
    pub const REPORT: Retention = Retention {
        release: true,
        ..Retention::KEEP
    };
    /// One build of a folder: the search terms kept, texts let go.
    pub const RENDER: Retention = Retention {
        text: true,
        release: true,
        html: false,
    };
    /// A build of files that are not on disk as read (a past revision):
    /// the search terms and the texts kept.
    pub const RENDER_KEPT: Retention = Retention {
        text: true,
        ..Retention::KEEP
    };
    /// `okra serve`: HTML and search terms made in the one parse and kept
    /// with the documents between builds.
    pub const SERVE: Retention = Retention {
        html: true,
        text: true,
        release: false,
    };
}
