package web

// reportRoutes serves the situation picture's report pages (issue 4).
func (s *Server) reportRoutes() {}
