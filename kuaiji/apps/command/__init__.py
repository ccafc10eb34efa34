"""Party-led holistic governance (党建统领整体智治): directives that reach every target at once
(政令"一键智达"), task lists followed to acceptance (执行"一贯到底"), and supervision across
the apps (监督"一览无余")."""
