package web

// roundRoutes serves the situation picture's rounds pages (issue 4).
func (s *Server) roundRoutes() {}
