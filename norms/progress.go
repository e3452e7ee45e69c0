package norms

// Counts are how many actions stand at each status, and how many of the
// actions counted no report covers.
type Counts struct {
	Implemented   int
	InProgress    int
	NotStarted    int
	NotApplicable int
	NotReported   int
}

// Total is every action counted.
func (c Counts) Total() int {
	return c.Implemented + c.InProgress + c.NotStarted + c.NotApplicable + c.NotReported
}

// Of returns the count of status s.
func (c Counts) Of(s Status) int {
	switch s {
	case Implemented:
		return c.Implemented
	case InProgress:
		return c.InProgress
	case NotStarted:
		return c.NotStarted
	case NotApplicable:
		return c.NotApplicable
	}
	return c.NotReported
}

// Percent is the share of the actions that apply (not "not applicable")
// that are implemented, rounded down; 0 when none applies.
func (c Counts) Percent() int {
	applies := c.Total() - c.NotApplicable
	if applies == 0 {
		return 0
	}
	return c.Implemented * 100 / applies
}

func (c *Counts) add(s Status) {
	switch s {
	case Implemented:
		c.Implemented++
	case InProgress:
		c.InProgress++
	case NotStarted:
		c.NotStarted++
	case NotApplicable:
		c.NotApplicable++
	}
}

// Mark is the status of one action reported by one State: what the
// progress figures count (the reports the reader may see).
type Mark struct {
	State  string
	Action string
	Status Status
}

// Row is one line of a progress view: a norm, a State or a region, with its
// counts and how many States it covers.
type Row struct {
	Key    string // the norm's letter, the State's ISO3 or the region's code
	States int    // the reporting States it covers
	Counts Counts
}

// reporting lists the States that reported at least one action, in order
// of first appearance.
func reporting(marks []Mark) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range marks {
		if !seen[m.State] {
			seen[m.State] = true
			out = append(out, m.State)
		}
	}
	return out
}

// ByNorm is the progress per norm over the States that reported: for each
// of the eleven norms, its actions' statuses across those States, the
// actions a reporting State left out counted as not reported.
func ByNorm(marks []Mark) []Row {
	states := len(reporting(marks))
	rows := make([]Row, len(checklist))
	at := map[string]int{}
	for i, n := range checklist {
		rows[i] = Row{Key: n.Letter, States: states}
		rows[i].Counts.NotReported = states * len(n.Actions)
		at[n.Letter] = i
	}
	for _, m := range marks {
		a, ok := LookupAction(m.Action)
		if !ok {
			continue
		}
		c := &rows[at[a.Norm]].Counts
		c.add(m.Status)
		c.NotReported--
	}
	return rows
}

// ForState is the progress of one State per norm (its marks only).
func ForState(state string, marks []Mark) []Row {
	rows := make([]Row, len(checklist))
	at := map[string]int{}
	for i, n := range checklist {
		rows[i] = Row{Key: n.Letter, States: 1, Counts: Counts{NotReported: len(n.Actions)}}
		at[n.Letter] = i
	}
	for _, m := range marks {
		a, ok := LookupAction(m.Action)
		if m.State != state || !ok {
			continue
		}
		c := &rows[at[a.Norm]].Counts
		c.add(m.Status)
		c.NotReported--
	}
	return rows
}

// ByState is the progress of each reporting State over the whole
// checklist, in order of first appearance.
func ByState(marks []Mark) []Row {
	states := reporting(marks)
	rows := make([]Row, len(states))
	at := map[string]int{}
	for i, s := range states {
		rows[i] = Row{Key: s, States: 1, Counts: Counts{NotReported: ActionCount()}}
		at[s] = i
	}
	for _, m := range marks {
		if _, ok := LookupAction(m.Action); !ok {
			continue
		}
		c := &rows[at[m.State]].Counts
		c.add(m.Status)
		c.NotReported--
	}
	return rows
}

// ByRegion is the progress per region (in the order regions gives, then
// "" for the States of no region) over the States that reported; region
// says which region a State belongs to.
func ByRegion(marks []Mark, regions []string, region func(state string) string) []Row {
	rows := make([]Row, len(regions)+1)
	at := map[string]int{}
	for i, r := range regions {
		rows[i] = Row{Key: r}
		at[r] = i
	}
	rows[len(regions)] = Row{Key: ""}
	at[""] = len(regions)
	for _, s := range ByState(marks) {
		i, ok := at[region(s.Key)]
		if !ok {
			i = len(regions)
		}
		r := &rows[i]
		r.States++
		r.Counts.Implemented += s.Counts.Implemented
		r.Counts.InProgress += s.Counts.InProgress
		r.Counts.NotStarted += s.Counts.NotStarted
		r.Counts.NotApplicable += s.Counts.NotApplicable
		r.Counts.NotReported += s.Counts.NotReported
	}
	if rows[len(regions)].States == 0 {
		rows = rows[:len(regions)]
	}
	return rows
}
