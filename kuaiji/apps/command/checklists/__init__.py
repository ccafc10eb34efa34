"""Task lists followed to acceptance (执行 "一贯到底"): tasks with quantified targets, lead and
cooperating units, milestones and the stopwatch, progress reports with evidence, acceptance."""
